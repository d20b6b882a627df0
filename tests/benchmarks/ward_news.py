"""A few ward news articles written for the tests (not corpus text), as benchmark Articles."""

from __future__ import annotations

from benchmarks.corpus import Article

WARD_NEWS = [
    ("Phường tổ chức đối thoại với người dân về dự án đường mới",
     "Sáng nay ủy ban phường đã tổ chức buổi đối thoại trực tiếp với đông đảo người dân khu phố bốn "
     "về tiến độ giải phóng mặt bằng của dự án mở rộng tuyến đường ven sông."),
    ("Đoàn thanh niên ra quân dọn dẹp vệ sinh kênh rạch",
     "Hơn một trăm đoàn viên thanh niên đã tham gia dọn dẹp rác thải dọc bờ kênh, đồng thời tuyên "
     "truyền người dân không đổ rác xuống lòng kênh để giữ gìn cảnh quan sạch đẹp."),
    ("Hội nghị biểu dương gia đình văn hóa tiêu biểu",
     "Tại hội nghị, lãnh đạo phường đã trao giấy khen cho những hộ gia đình đạt danh hiệu văn hóa "
     "nhiều năm liền và nhắc nhở các tổ dân phố tiếp tục duy trì phong trào thi đua."),
    ("Tiêm chủng mở rộng cho trẻ dưới năm tuổi",
     "Trạm y tế phường thông báo lịch tiêm chủng định kỳ cho trẻ em dưới năm tuổi, phụ huynh cần "
     "mang theo sổ tiêm và đến đúng giờ để tránh chờ đợi lâu."),
    ("Kiểm tra an toàn phòng cháy tại các chung cư cũ",
     "Đội kiểm tra liên ngành đã đến từng chung cư cũ để rà soát hệ thống báo cháy, lối thoát hiểm "
     "và hướng dẫn cư dân cách sử dụng bình chữa cháy đúng quy định."),
    ("Đăng ký thường trú trực tuyến tiết kiệm thời gian",
     "Công an phường hướng dẫn người dân đăng ký thường trú qua cổng dịch vụ công, không cần "
     "đến trụ sở nhiều lần và nhận kết quả nhanh hơn trước đây rất nhiều."),
    ("Triển khai Quyết định số 123/QĐ-UBND về chỉnh trang đô thị",
     "Ngày 16/3, ủy ban phường họp triển khai Quyết định số 123/QĐ-UBND (ban hành năm 2023), giao "
     "các khu phố 2, 3 và 5 rà soát vỉa hè; kinh phí dự kiến 1.250.000 đồng mỗi mét."),
]


def corpus(pairs: list[tuple[str, str]]) -> list[Article]:
    """(title, body) pairs as Articles with distinct ids."""
    return [Article(str(1000 + n), title, "", body) for n, (title, body) in enumerate(pairs)]
